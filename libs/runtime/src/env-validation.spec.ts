import { IsInt, IsString, Matches } from 'class-validator';
import { EnvInt, EnvRequired, EnvValidationError, requiredEnvNames, validateEnv } from '@kasho/runtime';

class SampleEnv {
  @EnvRequired()
  @Matches(/^postgres(ql)?:\/\//, { message: 'must be a postgresql:// URL' })
  DB_URL!: string;

  @EnvInt()
  @IsInt({ message: 'must be a port number' })
  PORT: number = 8080;
}

describe('validateEnv', () => {
  it('reports every problem at once, naming each variable', () => {
    let error: EnvValidationError | undefined;
    try {
      validateEnv(SampleEnv, { PORT: 'eighty' });
    } catch (e) {
      error = e as EnvValidationError;
    }
    expect(error?.problems).toEqual(['DB_URL environment variable is required', 'PORT: must be a port number']);
  });

  it('applies defaults and converts numbers explicitly', () => {
    const env = validateEnv(SampleEnv, { DB_URL: 'postgresql://h/db' });
    expect(env.PORT).toBe(8080);
    expect(validateEnv(SampleEnv, { DB_URL: 'postgres://h/db', PORT: '9000' }).PORT).toBe(9000);
  });

  it('never echoes a rejected value', () => {
    expect(() => validateEnv(SampleEnv, { DB_URL: 'mysql://u:s3cret@h/db' })).toThrow('DB_URL: must be a postgresql:// URL');
    try {
      validateEnv(SampleEnv, { DB_URL: 'mysql://u:s3cret@h/db' });
    } catch (e) {
      expect(String(e)).not.toContain('s3cret');
    }
  });

  it('takes the required names from the env class, in field order, and reports each missing one', () => {
    class TwoRequired {
      @EnvRequired() @IsString() B_SECOND!: string;
      @IsString() OPTIONAL: string = 'x';
      @EnvRequired() @IsString() A_FIRST!: string;
    }
    expect(requiredEnvNames(TwoRequired)).toEqual(['B_SECOND', 'A_FIRST']);
    expect(() => validateEnv(TwoRequired, { A_FIRST: '' })).toThrow(
      new EnvValidationError(['B_SECOND environment variable is required', 'A_FIRST environment variable is required']),
    );
    expect(validateEnv(TwoRequired, { A_FIRST: 'a', B_SECOND: 'b' }).OPTIONAL).toBe('x');
  });

  it('EnvInt converts digits only; anything else is left for @IsInt to report', () => {
    expect(validateEnv(SampleEnv, { DB_URL: 'postgres://h/db', PORT: '0' }).PORT).toBe(0);
    for (const port of ['-1', '80.5', '8080 ', '0x50']) {
      expect(() => validateEnv(SampleEnv, { DB_URL: 'postgres://h/db', PORT: port })).toThrow('PORT: must be a port number');
    }
  });
});
