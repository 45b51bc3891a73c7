// A reason the process cannot start that the operator can fix: main.ts prints the message alone, without
// a stack trace, and exits non-zero.
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}
