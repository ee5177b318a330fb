import SchemaBuilder from '@pothos/core';
import type { EventDetails } from '../activity/records.ts';
import type { GraphQLContext } from '../context.ts';
import './errors.ts';

export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  DefaultFieldNullability: false;
  Scalars: {
    ID: { Input: string; Output: string };
    DateTime: { Input: Date; Output: Date };
    Date: { Input: string; Output: string };
    JSONObject: { Input: EventDetails; Output: EventDetails };
  };
}>({
  plugins: ['domainErrors'],
  defaultFieldNullability: false,
});

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});
