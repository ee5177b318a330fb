import type { GraphQLError } from 'graphql';
import { codedError, ErrorCode } from '../schema/errors.ts';

/**
 * Items (events, player ids) one operation may read from Redis, whatever
 * its aliases and arguments. Resolvers charge what they are about to read
 * before reading it; once over, the whole operation answers
 * RESPONSE_TOO_LARGE and nothing of its data is sent.
 */
export class RequestBudget {
  readonly #maxItems: number;
  #items = 0;
  #refusal: GraphQLError | null = null;

  constructor(maxItems: number) {
    this.#maxItems = maxItems;
  }

  /** Throws (and remembers) RESPONSE_TOO_LARGE when `count` more items would pass the cap. */
  chargeItems(count: number): void {
    if (this.#items + count > this.#maxItems) {
      this.#refusal ??= codedError(
        ErrorCode.responseTooLarge,
        `This operation would read more than ${this.#maxItems} items (MAX_ITEMS_PER_REQUEST); ask for fewer (smaller limit or first, fewer aliases).`,
      );
      throw this.#refusal;
    }
    this.#items += count;
  }

  /** The refusal, once the budget has been overdrawn. */
  get refusal(): GraphQLError | null {
    return this.#refusal;
  }
}
