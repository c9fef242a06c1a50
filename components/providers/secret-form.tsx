import type { FormHTMLAttributes } from "react";

/**
 * A form that carries a credential or a key: POST, so a submit that lands before hydration (the browser's
 * own submit) never puts the secret into the URL, the history or the server's logs. Validation is the
 * form's own (noValidate).
 */
export function SecretForm(props: Omit<FormHTMLAttributes<HTMLFormElement>, "method">) {
  return <form method="post" noValidate {...props} />;
}
