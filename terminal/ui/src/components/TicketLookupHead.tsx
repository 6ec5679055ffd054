/** The head of the returns and invoice screens: title, hint and the "find a ticket" box (type its number + Enter, or scan it). */
export function TicketLookupHead({ title, hint, query, onQuery, onFind, busy, placeholder, findLabel, testPrefix }: {
  title: string;
  hint: string;
  query: string;
  onQuery: (q: string) => void;
  onFind: (q: string) => void;
  busy: boolean;
  placeholder: string;
  findLabel: string;
  /** `return` → data-testid return-lookup / return-find. */
  testPrefix: string;
}) {
  return (
    <>
      <div className="page-head">
        <h2>{title}</h2>
        <p>{hint}</p>
      </div>
      <div className="search">
        <input
          autoFocus
          className="big-input"
          placeholder={placeholder}
          value={query}
          onChange={(e) => onQuery(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && onFind(query)}
          data-testid={`${testPrefix}-lookup`}
        />
        <button className="primary big" onClick={() => onFind(query)} disabled={busy} data-testid={`${testPrefix}-find`}>
          {findLabel}
        </button>
      </div>
    </>
  );
}
