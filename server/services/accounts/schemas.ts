import { z } from "zod";

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;

export const emailAddress = z
  .string({ message: "must be a string" })
  .trim()
  .min(1, "can't be blank")
  .max(254, "must be at most 254 characters")
  .pipe(z.email({ message: "is not a valid email address" }))
  .transform((v) => v.toLowerCase());

export const registerInput = z
  .strictObject({
    name: z.string({ message: "must be a string" }).trim().min(1, "can't be blank").max(100, "must be at most 100 characters"),
    email: emailAddress,
    password: z
      .string({ message: "must be a string" })
      .min(PASSWORD_MIN_LENGTH, `must be at least ${PASSWORD_MIN_LENGTH} characters`)
      .max(PASSWORD_MAX_LENGTH, `must be at most ${PASSWORD_MAX_LENGTH} characters`),
    password_confirmation: z.string({ message: "must be a string" }),
  })
  .refine((v) => v.password === v.password_confirmation, { message: "doesn't match password", path: ["password_confirmation"] });

export const loginInput = z.strictObject({
  email: emailAddress,
  password: z.string({ message: "must be a string" }).min(1, "can't be blank").max(PASSWORD_MAX_LENGTH),
});

export type RegisterInput = z.infer<typeof registerInput>;
export type LoginInput = z.infer<typeof loginInput>;
