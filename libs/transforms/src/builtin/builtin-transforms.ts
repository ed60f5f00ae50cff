import type { Type } from '@nestjs/common';
import { BoolTransform } from './bool.transform';
import { ConstantTransform } from './constant.transform';
import { FAKE_TRANSFORMS } from './fake';
import { HashTransform } from './hash.transform';
import { KeepTransform } from './keep.transform';
import { MaskTransform } from './mask.transform';
import { PasswordArgon2idTransform } from './password/argon2id.transform';
import { PasswordBcryptTransform } from './password/bcrypt.transform';
import { PasswordPbkdf2Transform } from './password/pbkdf2.transform';
import { PasswordScryptTransform } from './password/scrypt.transform';
import { RegexTransform } from './regex.transform';
import { SetNullTransform } from './set-null.transform';
import { TemplateTransform } from './template/template.transform';

/** Every built-in transform provider; TransformsModule registers them all. */
export const BUILTIN_TRANSFORMS: Type<unknown>[] = [
  ...FAKE_TRANSFORMS,
  BoolTransform,
  KeepTransform,
  RegexTransform,
  TemplateTransform,
  SetNullTransform,
  ConstantTransform,
  HashTransform,
  MaskTransform,
  PasswordBcryptTransform,
  PasswordScryptTransform,
  PasswordPbkdf2Transform,
  PasswordArgon2idTransform,
];
