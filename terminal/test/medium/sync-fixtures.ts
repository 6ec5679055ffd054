/** The sync tests' fixtures live in src so the chaos tests in scripts/ can use them too. */
export * from '../../src/sync/testing/tickets';
