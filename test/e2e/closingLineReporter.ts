// Node, tests only. Ends the end-to-end run with one plain line, "End-to-end tests: N passed, N failed",
// beside the "Tests: ..." line that vitest's run ends with (test/closingLineReporter.ts).
import type { Reporter, TestCase } from 'playwright/types/testReporter'

export default class ClosingLineReporter implements Reporter {
  private readonly tests = new Set<TestCase>()
  /** Errors outside any test (global setup, a worker that failed to start) fail the run all the same. */
  private errors = 0

  onTestEnd(test: TestCase): void {
    this.tests.add(test)
  }

  onError(): void {
    this.errors++
  }

  onEnd(): void {
    const outcomes = [...this.tests].map((test) => test.outcome())
    const passed = outcomes.filter((outcome) => outcome === 'expected').length
    const failed =
      outcomes.filter((outcome) => outcome === 'unexpected' || outcome === 'flaky').length + this.errors
    process.stdout.write(`\nEnd-to-end tests: ${passed} passed, ${failed} failed\n`)
  }

  printsToStdio(): boolean {
    return false
  }
}
