import { Type } from 'typebox';

/** Request bodies of the identity API; replaced by the server's own schema objects once they can be imported. */
export const CreateUserBody = Type.Object(
  {
    login: Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{1,63}$' }),
    fullName: Type.String({ minLength: 1, maxLength: 200 }),
    email: Type.Optional(Type.String({ format: 'email', maxLength: 320 })),
    language: Type.Optional(Type.Union([Type.Literal('en'), Type.Literal('zh-CN')])),
  },
  { additionalProperties: false },
);
