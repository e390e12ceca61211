// Node. An error the user can fix: the CLI prints its message as one line, without a stack trace.
export class CliError extends Error {
  override name = 'CliError'
}
