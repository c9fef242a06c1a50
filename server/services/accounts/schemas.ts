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

export const displayName = z.string({ message: "must be a string" }).trim().min(1, "can't be blank").max(100, "must be at most 100 characters");

/** A new password and its confirmation: every sign-up (registration, an accepted invitation) uses these rules. */
export const newPasswordFields = {
  password: z
    .string({ message: "must be a string" })
    .min(PASSWORD_MIN_LENGTH, `must be at least ${PASSWORD_MIN_LENGTH} characters`)
    .max(PASSWORD_MAX_LENGTH, `must be at most ${PASSWORD_MAX_LENGTH} characters`),
  password_confirmation: z.string({ message: "must be a string" }),
};

export function withPasswordConfirmation<T extends z.ZodType<{ password: string; password_confirmation: string }>>(schema: T) {
  return schema.refine((v) => v.password === v.password_confirmation, { message: "doesn't match password", path: ["password_confirmation"] });
}

export const registerInput = withPasswordConfirmation(z.strictObject({ name: displayName, email: emailAddress, ...newPasswordFields }));

export const loginInput = z.strictObject({
  email: emailAddress,
  password: z.string({ message: "must be a string" }).min(1, "can't be blank").max(PASSWORD_MAX_LENGTH),
});

export type RegisterInput = z.infer<typeof registerInput>;
export type LoginInput = z.infer<typeof loginInput>;
