import type { ReactNode } from "react";
import { Table, TBody, TD, TH, THead, TR } from "../ui/table";

export interface Column<Row> {
  header: ReactNode;
  cell: (row: Row) => ReactNode;
  className?: string;
}

/** Rows under column headers; the caption names the table for screen readers. Empty states are the caller's. */
export function DataTable<Row>({ rows, columns, rowKey, caption }: { rows: readonly Row[]; columns: readonly Column<Row>[]; rowKey: (row: Row) => string; caption: string }) {
  return (
    <Table>
      <caption className="sr-only">{caption}</caption>
      <THead>
        <tr>
          {columns.map((column, i) => (
            <TH key={i} className={column.className}>
              {column.header}
            </TH>
          ))}
        </tr>
      </THead>
      <TBody>
        {rows.map((row) => (
          <TR key={rowKey(row)}>
            {columns.map((column, i) => (
              <TD key={i} className={column.className}>
                {column.cell(row)}
              </TD>
            ))}
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
