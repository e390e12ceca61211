// Node (engine). The part of the WebAssembly API that rowSums.ts uses: Node runs WebAssembly, but the
// project's type libraries (ES2023, @types/node 20) declare none of it.
declare namespace WebAssembly {
  // A compiled module is opaque: it has no members of its own to declare.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Module {}
  interface Memory {
    readonly buffer: ArrayBuffer
    grow(pages: number): number
  }
  interface Instance {
    readonly exports: Record<string, unknown>
  }
  const Module: { new (bytes: Uint8Array): Module }
  const Instance: { new (module: Module): Instance }
}
