/** NextToken paging over a list, as the List/Describe operations do it (the token is an offset). */
import { SimError } from './errors.js';

export interface Page<T> {
  items: T[];
  /** Absent on the last page. */
  nextToken?: string;
}

/** `size` items from the token's offset; a token this simulator did not hand out is `invalidTokenError`. */
export function pageOf<T>(
  all: T[],
  token: unknown,
  size: number,
  invalidTokenError = 'InvalidParameterException',
): Page<T> {
  const start = token === undefined ? 0 : Number(token);
  if (!Number.isInteger(start) || start < 0) {
    throw new SimError(invalidTokenError, 'The specified nextToken is invalid.');
  }
  const items = all.slice(start, start + size);
  const next = start + items.length;
  return next < all.length ? { items, nextToken: String(next) } : { items };
}
