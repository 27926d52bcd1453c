export function isPostgresUrl(url: string): boolean;
export function migrationsDir(url: string): string;
export function readMigrations(dir: string): { name: string; sql: string; checksum: string }[];
export function migratePostgres(url: string, options?: { dir?: string; log?: (line: string) => void }): Promise<string[]>;
export function migrationStatus(url: string): Promise<{ applied: string[]; pending: string[] }>;
export function migrate(url: string, options?: { dir?: string; log?: (line: string) => void }): Promise<string[]>;
