import type { Json, JsonObject } from '../shared/json';
import type { Condition, SimpleCondition } from './schema';
import { readPath } from './text';

function same(a: Json | undefined, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function testOne(c: SimpleCondition, vars: JsonObject): boolean {
  const v = readPath(vars, c.var);
  if (c.exists !== undefined && (v !== undefined && v !== null) !== c.exists) return false;
  if (c.equals !== undefined && !same(v, c.equals)) return false;
  if (c.not_equals !== undefined && same(v, c.not_equals)) return false;
  if (c.in !== undefined && !c.in.some((x) => same(v, x))) return false;
  if (c.gt !== undefined && !(typeof v === 'number' && v > c.gt)) return false;
  if (c.lt !== undefined && !(typeof v === 'number' && v < c.lt)) return false;
  return true;
}

/** A branch condition: one test (all its fields must hold), or `all` / `any` of several. */
export function testCondition(c: Condition, vars: JsonObject): boolean {
  if ('all' in c) return c.all.every((x) => testOne(x, vars));
  if ('any' in c) return c.any.some((x) => testOne(x, vars));
  return testOne(c, vars);
}
