/** A failed API call, in Make's error vocabulary; its message is already free of secrets. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly type: string,
    readonly statusCode?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}
