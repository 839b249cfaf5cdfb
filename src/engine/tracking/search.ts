import type { SearchRunsRequest, SearchRunsResponse } from '../../shared/mlflow';
import { SlipwayError } from '../errors';
import type { TrackingContext } from './context';
import { viewTypeClause, textCondition } from './experiments';
import { parseFilter, parseOrderBy, type Clause, type OrderTerm } from './filter';
import { LIMITS, optionalString, stringList, toId } from './limits';
import { decodePageToken, encodePageToken, pageSize } from './page-token';
import { runsWithData } from './runs';
import type { RunRow } from './shapes';

const ENTITY_TABLE = { metric: 'latest_metrics', param: 'params', tag: 'tags' } as const;
const ATTRIBUTE_COLUMN: Record<string, string> = {
  run_id: 'r.run_uuid',
  run_name: 'r.run_name',
  status: 'r.status',
  user_id: 'r.user_id',
  artifact_uri: 'r.artifact_uri',
  lifecycle_stage: 'r.lifecycle_stage',
  start_time: 'r.start_time',
  end_time: 'r.end_time',
};

interface Sql {
  sql: string;
  args: (string | number)[];
}

/**
 * Compiles one filter clause. Entity clauses become `run_uuid IN (subquery)`, which SQLite answers from the
 * (key, value) index of the entity table, so a metric filter over 100k runs reads only the matching rows.
 */
function clauseSql(clause: Clause): Sql {
  if (clause.type === 'attribute') {
    const column = ATTRIBUTE_COLUMN[clause.key];
    if (!column) throw new SlipwayError('INVALID_PARAMETER_VALUE', `Unknown attribute "${clause.key}".`);
    if (typeof clause.value === 'number') return { sql: `${column} ${clause.comparator} ?`, args: [clause.value] };
    const { sql, values } = textCondition(column, clause.comparator, clause.value);
    return { sql, args: values };
  }
  const table = ENTITY_TABLE[clause.type];
  if (clause.comparator === 'IS NULL') return { sql: `r.run_uuid NOT IN (SELECT run_uuid FROM ${table} WHERE key = ?)`, args: [clause.key] };
  if (clause.comparator === 'IS NOT NULL') return { sql: `r.run_uuid IN (SELECT run_uuid FROM ${table} WHERE key = ?)`, args: [clause.key] };
  if (clause.type === 'metric') {
    // NaN is stored as NULL and never satisfies a comparison, as in MLflow.
    return { sql: `r.run_uuid IN (SELECT run_uuid FROM latest_metrics WHERE key = ? AND value ${clause.comparator} ?)`, args: [clause.key, clause.value as number] };
  }
  const { sql, values } = textCondition('value', clause.comparator, clause.value);
  return { sql: `r.run_uuid IN (SELECT run_uuid FROM ${table} WHERE key = ? AND ${sql})`, args: [clause.key, ...values] };
}

/** ORDER BY for the terms; entity terms join their table, and runs without the key sort last either way. */
function orderSql(terms: OrderTerm[]): { joins: string[]; order: string[]; args: string[] } {
  const joins: string[] = [];
  const order: string[] = [];
  const args: string[] = [];
  terms.forEach((term, i) => {
    const dir = term.ascending ? 'ASC' : 'DESC';
    if (term.type === 'attribute') {
      const column = ATTRIBUTE_COLUMN[term.key]!;
      order.push(`(${column} IS NULL) ASC`, `${column} ${dir}`);
      return;
    }
    const alias = `o${i}`;
    joins.push(`LEFT JOIN ${ENTITY_TABLE[term.type]} ${alias} ON ${alias}.run_uuid = r.run_uuid AND ${alias}.key = ?`);
    args.push(term.key);
    order.push(`(${alias}.value IS NULL) ASC`, `${alias}.value ${dir}`);
  });
  order.push('r.start_time DESC', 'r.run_uuid ASC');
  return { joins, order, args };
}

/** runs/search with MLflow's filter grammar, order_by and page tokens. */
export function searchRuns(ctx: TrackingContext, request: Partial<SearchRunsRequest>): SearchRunsResponse {
  const given: unknown = request.experiment_ids ?? [];
  if (!Array.isArray(given)) throw new SlipwayError('INVALID_PARAMETER_VALUE', "'experiment_ids' must be a list of experiment ids.");
  const experimentIds = given.map((id) => toId('experiment_ids', id));
  if (!experimentIds.length) throw new SlipwayError('INVALID_PARAMETER_VALUE', 'runs/search needs at least one experiment id in experiment_ids.');
  const limit = pageSize(request.max_results, LIMITS.searchDefaultResults, LIMITS.searchMaxResults);
  const offset = decodePageToken(optionalString('page_token', request.page_token));
  const clauses = parseFilter(optionalString('filter', request.filter)).map(clauseSql);
  const ordering = orderSql(stringList('order_by', request.order_by).map(parseOrderBy));
  const where = [`r.experiment_id IN (${experimentIds.map(() => '?').join(', ')})`, viewTypeClause(request.run_view_type, 'r.lifecycle_stage'), ...clauses.map((c) => c.sql)];
  const sql = `SELECT r.* FROM runs r ${ordering.joins.join(' ')} WHERE ${where.join(' AND ')} ORDER BY ${ordering.order.join(', ')} LIMIT ? OFFSET ?`;
  const args = [...ordering.args, ...experimentIds, ...clauses.flatMap((c) => c.args), limit + 1, offset];
  return ctx.store.read(() => {
    const rows = ctx.store.db.prepare(sql).all(...args) as RunRow[];
    const response: SearchRunsResponse = { runs: runsWithData(ctx, rows.slice(0, limit)) };
    if (rows.length > limit) response.next_page_token = encodePageToken(offset + limit);
    return response;
  });
}
