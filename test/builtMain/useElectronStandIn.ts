// Node, tests only, loaded with `--import` after tsx: makes `import ... from 'electron'` resolve to
// electronStandIn.ts (resolved on through tsx, which then compiles it), so that the built main bundle runs under plain Node (src/main/index.test.ts).
import { register } from 'node:module'

const standIn = new URL('./electronStandIn.ts', import.meta.url).href
const hook = `export async function resolve(specifier, context, next) {
  return next(specifier === 'electron' ? ${JSON.stringify(standIn)} : specifier, context)
}`
register(`data:text/javascript,${encodeURIComponent(hook)}`)
