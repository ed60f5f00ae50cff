import { Transform } from 'class-transformer';
import { IsInt, Matches } from 'class-validator';
import { EnvValidationError, validateEnv } from '@kasho/runtime';

class SampleEnv {
  @Matches(/^postgres(ql)?:\/\//, { message: 'must be a postgresql:// URL' })
  DB_URL!: string;

  @Transform(({ value }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value))
  @IsInt({ message: 'must be a port number' })
  PORT: number = 8080;
}

describe('validateEnv', () => {
  it('reports every problem at once, naming each variable', () => {
    let error: EnvValidationError | undefined;
    try {
      validateEnv(SampleEnv, { PORT: 'eighty' }, ['DB_URL']);
    } catch (e) {
      error = e as EnvValidationError;
    }
    expect(error?.problems).toEqual(['DB_URL environment variable is required', 'PORT: must be a port number']);
  });

  it('applies defaults and converts numbers explicitly', () => {
    const env = validateEnv(SampleEnv, { DB_URL: 'postgresql://h/db' }, ['DB_URL']);
    expect(env.PORT).toBe(8080);
    expect(validateEnv(SampleEnv, { DB_URL: 'postgres://h/db', PORT: '9000' }, ['DB_URL']).PORT).toBe(9000);
  });

  it('never echoes a rejected value', () => {
    expect(() => validateEnv(SampleEnv, { DB_URL: 'mysql://u:s3cret@h/db' }, ['DB_URL'])).toThrow('DB_URL: must be a postgresql:// URL');
    try {
      validateEnv(SampleEnv, { DB_URL: 'mysql://u:s3cret@h/db' }, ['DB_URL']);
    } catch (e) {
      expect(String(e)).not.toContain('s3cret');
    }
  });
});
