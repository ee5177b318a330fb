import { GraphQLScalarType, type ValueNode } from 'graphql';
import { DateTimeResolver, JSONObjectResolver, LocalDateResolver } from 'graphql-scalars';
import { builder } from './builder.ts';
import { codedError, ErrorCode } from './errors.ts';

/**
 * A graphql-scalars type whose input errors carry BAD_USER_INPUT: graphql-js
 * copies the code onto the validation or variable error it reports.
 */
function withInputErrorCode<T>(base: GraphQLScalarType, name = base.name, description = base.description) {
  const guard = <R>(parse: () => R, node?: ValueNode): R => {
    try {
      return parse();
    } catch (error) {
      throw codedError(ErrorCode.badUserInput, (error as Error).message, { nodes: node });
    }
  };
  return new GraphQLScalarType<T, unknown>({
    name,
    description,
    specifiedByURL: base.specifiedByURL,
    serialize: (value) => base.serialize(value),
    parseValue: (value) => guard(() => base.parseValue(value) as T),
    parseLiteral: (ast: ValueNode, variables) => guard(() => base.parseLiteral(ast, variables) as T, ast),
  });
}

builder.addScalarType('DateTime', withInputErrorCode<Date>(DateTimeResolver));
builder.addScalarType('JSONObject', withInputErrorCode(JSONObjectResolver));
// The contract calls it Date; graphql-scalars' LocalDate keeps the value a
// plain YYYY-MM-DD string and refuses impossible days.
builder.addScalarType('Date', withInputErrorCode<string>(LocalDateResolver, 'Date', 'A UTC calendar day, YYYY-MM-DD.'));
