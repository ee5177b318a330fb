import { builder } from './builder.ts';

builder.queryField('onlinePlayerCount', (t) =>
  t.int({
    description: 'How many players have an open session.',
    resolve: (_root, _args, { store }) => store.getOnlineCount(),
  }),
);

builder.queryField('onlinePlayerIds', (t) =>
  t.idList({
    description: 'Who has an open session (not for player tokens).',
    authScopes: { service: true, admin: true },
    resolve: (_root, _args, { store }) => store.getOnlinePlayerIds(),
  }),
);

builder.subscriptionField('onlinePlayerCount', (t) =>
  t.int({
    description: 'The current count at once, then a new value after every change.',
    subscribe: (_root, _args, { onlineCount }) => onlineCount.watch(),
    resolve: (count: number) => count,
  }),
);
