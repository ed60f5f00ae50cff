import type { Type } from '@nestjs/common';
import { BoolTransform } from './bool.transform';
import { FAKE_TRANSFORMS } from './fake';
import { KeepTransform } from './keep.transform';
import { PasswordArgon2idTransform } from './password/argon2id.transform';
import { PasswordBcryptTransform } from './password/bcrypt.transform';
import { PasswordPbkdf2Transform } from './password/pbkdf2.transform';
import { PasswordScryptTransform } from './password/scrypt.transform';
import { RegexTransform } from './regex.transform';
import { TemplateTransform } from './template/template.transform';

/** Every built-in transform provider; TransformsModule registers them all. */
export const BUILTIN_TRANSFORMS: Type<unknown>[] = [
  ...FAKE_TRANSFORMS,
  BoolTransform,
  KeepTransform,
  RegexTransform,
  TemplateTransform,
  PasswordBcryptTransform,
  PasswordScryptTransform,
  PasswordPbkdf2Transform,
  PasswordArgon2idTransform,
];
