import { expect } from 'chai';
import { ApiError } from '../../src/http/api-error';

/** Runs a call that must fail with an ApiError whose message and stack never contain `secret`; returns the error. */
export async function apiFailure(work: () => Promise<unknown>, secret: string): Promise<ApiError> {
  try {
    await work();
  } catch (error) {
    expect(error).to.be.instanceOf(ApiError);
    expect((error as Error).message).to.not.contain(secret);
    expect(String((error as Error).stack)).to.not.contain(secret);
    return error as ApiError;
  }
  throw new Error('expected the call to fail');
}
