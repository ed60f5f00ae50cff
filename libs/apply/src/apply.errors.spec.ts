import { Position } from '@kasho/contracts';
import { ApplyError, scrubValues } from './apply.errors';

describe('ApplyError', () => {
  it('names kind, table, position and SQLSTATE, and drops detail and where', () => {
    const pgError = Object.assign(new Error('duplicate key value violates unique constraint "users_email_key"'), {
      code: '23505',
      detail: 'Key (email)=(secret@example.com) already exists.',
      where: 'SQL statement ...',
    });
    const err = ApplyError.from(
      pgError,
      { kind: 'insert', schema: 'public', table: 'users', position: Position.parse('10-0'), lastPosition: Position.parse('10-9') },
      ['secret@example.com'],
    );
    expect(err.message).toBe(
      'cannot apply insert on public.users at positions 10-0..10-9: duplicate key value violates unique constraint "users_email_key" (SQLSTATE 23505)',
    );
    expect(err).toMatchObject({ kind: 'insert', schema: 'public', table: 'users', position: Position.parse('10-0'), sqlstate: '23505' });
    expect(err.cause).toBeUndefined();
    expect(JSON.stringify(err)).not.toContain('secret');
  });

  it('scrubs values PostgreSQL quotes in its primary message', () => {
    expect(scrubValues('invalid input syntax for type integer: "4111 1111"')).toBe('invalid input syntax for type integer: <redacted>');
    expect(scrubValues('value "99999999999" is out of range for type integer')).toBe('value <redacted> is out of range for type integer');
    expect(scrubValues('invalid input value for enum mood: "sad"')).toBe('invalid input value for enum mood: <redacted>');
    expect(scrubValues('something about hunter2 here', ['hunter2', 'x'])).toBe('something about <redacted> here');
    expect(scrubValues('relation "users" does not exist')).toBe('relation "users" does not exist');
  });
});
