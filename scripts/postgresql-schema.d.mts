export function derivePostgresqlSchema(text: string): string;
export const POSTGRESQL_SCHEMA: string;
