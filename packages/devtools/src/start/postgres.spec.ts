import { databaseName, isLocalHost, maintenanceUrl, redactUrl, withPort } from './postgres';

describe('pnpm start: PostgreSQL URLs', () => {
  it('points at the maintenance database of the same server', () => {
    expect(maintenanceUrl('postgres://u:p@127.0.0.1:5432/anju?sslmode=disable')).toBe(
      'postgres://u:p@127.0.0.1:5432/postgres?sslmode=disable',
    );
  });

  it('names the application database', () => {
    expect(databaseName('postgres://postgres@127.0.0.1:5432/anju')).toBe('anju');
    expect(() => databaseName('postgres://postgres@127.0.0.1:5432')).toThrow('names no database');
  });

  it('moves to another port and adds the embedded password only when none was given', () => {
    expect(withPort('postgres://postgres@127.0.0.1:5432/anju', 54329, 'postgres')).toBe(
      'postgres://postgres:postgres@127.0.0.1:54329/anju',
    );
    expect(withPort('postgres://me:secret@localhost:5499/anju', 5499, 'postgres')).toBe(
      'postgres://me:secret@localhost:5499/anju',
    );
  });

  it('hides passwords and knows local hosts', () => {
    expect(redactUrl('postgres://me:secret@db:5432/anju')).toBe('postgres://me:***@db:5432/anju');
    expect(isLocalHost('postgres://postgres@localhost/anju')).toBe(true);
    expect(isLocalHost('postgres://postgres@[::1]:5432/anju')).toBe(true);
    expect(isLocalHost('postgres://postgres@db.internal:5432/anju')).toBe(false);
  });
});
