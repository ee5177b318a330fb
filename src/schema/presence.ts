import { InvalidInputError } from '../activity/errors.ts';
import { builder } from './builder.ts';
import { fieldRules } from './field-rules.ts';

export const DEFAULT_ONLINE_PAGE = 500;
export const MAX_ONLINE_PAGE = 1000;
/** SSCAN round trips one page may take (a sparse set can answer several empty replies in a row). */
const MAX_SCANS_PER_PAGE = 16;

interface OnlinePage {
  playerIds: string[];
  nextCursor: string | null;
}

interface PagePosition {
  /** The SSCAN cursor the page starts at. */
  scan: string;
  /** Ids of that SSCAN reply already sent on the previous page. */
  skip: number;
}

const POSITION = /^(\d{1,20}):(\d{1,7})$/;

const encodeCursor = ({ scan, skip }: PagePosition) => Buffer.from(`${scan}:${skip}`).toString('base64url');

function decodeCursor(after: string | null | undefined): PagePosition {
  if (after == null) return { scan: '0', skip: 0 };
  const match = POSITION.exec(Buffer.from(after, 'base64url').toString());
  if (!match) throw new InvalidInputError('after', 'after must be a nextCursor this field returned');
  return { scan: match[1]!, skip: Number(match[2]) };
}

function checkFirst(first: number): number {
  if (!Number.isInteger(first) || first < 1 || first > MAX_ONLINE_PAGE) {
    throw new InvalidInputError('first', `first must be an integer from 1 to ${MAX_ONLINE_PAGE}`);
  }
  return first;
}

const OnlinePageRef = builder.objectRef<OnlinePage>('OnlinePlayerIdsPage').implement({
  description: 'One page of the online set.',
  fields: (t) => ({
    // Costed on onlinePlayerIds, which knows the page size (`first`).
    playerIds: t.exposeIDList('playerIds'),
    nextCursor: t.exposeString('nextCursor', {
      nullable: true,
      description: 'Pass as `after` for the next page; null once the whole set has been walked.',
    }),
  }),
});

builder.queryField('onlinePlayerCount', (t) =>
  t.int({
    description: 'How many players have an open session.',
    resolve: (_root, _args, { store }) => store.getOnlineCount(),
  }),
);

builder.queryField('onlinePlayerIds', (t) =>
  t.field({
    type: OnlinePageRef,
    description: `Who has an open session (not for player tokens), a page at a time: at most \`first\` ids (up to ${MAX_ONLINE_PAGE}), then \`nextCursor\` for the rest. Walked with SSCAN, so an id present for the whole walk is returned at least once; one that joins or leaves meanwhile may be missed or repeated.`,
    args: {
      first: t.arg.int({ defaultValue: DEFAULT_ONLINE_PAGE, description: `From 1 to ${MAX_ONLINE_PAGE}.` }),
      after: t.arg.string({ description: 'The nextCursor of the previous page.' }),
    },
    extensions: fieldRules({
      validate: ({ first, after }) => {
        checkFirst((first as number | null) ?? DEFAULT_ONLINE_PAGE);
        decodeCursor(after as string | null);
      },
      weight: ({ first }) => (first as number | null) ?? DEFAULT_ONLINE_PAGE,
    }),
    authScopes: { service: true, admin: true },
    resolve: async (_root, { first, after }, { store, budget }) => {
      const size = checkFirst(first ?? DEFAULT_ONLINE_PAGE);
      budget.chargeItems(size);
      let { scan, skip } = decodeCursor(after);
      const playerIds: string[] = [];
      for (let scans = 0; scans < MAX_SCANS_PER_PAGE; scans += 1) {
        // COUNT is only a hint: a small set comes whole. What does not fit
        // stays for the next page, which repeats this SSCAN and skips what was sent.
        const reply = await store.scanOnlinePlayers(scan, size);
        const fresh = reply.playerIds.slice(skip);
        const room = size - playerIds.length;
        if (fresh.length > room) {
          playerIds.push(...fresh.slice(0, room));
          return { playerIds, nextCursor: encodeCursor({ scan, skip: skip + room }) };
        }
        playerIds.push(...fresh);
        if (reply.cursor === '0') return { playerIds, nextCursor: null };
        scan = reply.cursor;
        skip = 0;
        if (playerIds.length === size) break;
      }
      return { playerIds, nextCursor: encodeCursor({ scan, skip: 0 }) };
    },
  }),
);

builder.subscriptionField('onlinePlayerCount', (t) =>
  t.int({
    description: 'The current count at once, then a new value after every change.',
    subscribe: (_root, _args, { onlineCount }) => onlineCount.watch(),
    resolve: (count: number) => count,
  }),
);
