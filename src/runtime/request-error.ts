/** A request the API refuses, with the HTTP status and a message for the caller. */
export class RequestError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}
