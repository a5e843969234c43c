/** An error whose message is meant for the user as is: the CLI prints it on one line, without a stack trace. */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}
