// Node, tests only. Ends the run with one plain line, "Tests: N passed, N failed", that any tool can read.
import type { Reporter, TestModule } from 'vitest/node'

export default class ClosingLineReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0
    let failed = 0
    for (const testModule of testModules) {
      // A module that failed to load has no tests but is a failure all the same.
      if (testModule.state() === 'failed' && [...testModule.children.allTests()].length === 0) failed++
      for (const testCase of testModule.children.allTests()) {
        const state = testCase.result().state
        if (state === 'passed') passed++
        else if (state === 'failed') failed++
      }
    }
    process.stdout.write(`\nTests: ${passed} passed, ${failed} failed\n`)
  }
}
