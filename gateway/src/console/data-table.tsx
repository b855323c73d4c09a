/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx';

/**
 * A console data table: one header row of column names, then the rows given as children. The
 * markup every page's tables share (`class="data"`, `scope="col"` headers for screen readers).
 * @example <DataTable id="debits" columns={['when (UTC)', 'ε']}>{rows}</DataTable>
 */
export function DataTable(props: { id?: string; columns: readonly string[]; children?: Child }) {
  return (
    <table class="data" id={props.id}>
      <thead>
        <tr>
          {props.columns.map((column) => (
            <th scope="col">{column}</th>
          ))}
        </tr>
      </thead>
      <tbody>{props.children}</tbody>
    </table>
  );
}
