// Types of electron-vite's special imports in main, e.g. `?modulePath` (the engine bundle's path).
/// <reference types="electron-vite/node" />
