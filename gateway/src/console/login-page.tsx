/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { Layout } from './layout.tsx';

/** Sign-in form: the admin token or the read-only token (`ADMIN_READONLY_TOKEN`). */
export function LoginPage(props: { error?: string; next?: string }) {
  return (
    <Layout title="Sign in" nav={[]}>
      <h1>Sign in to the Sluice console</h1>
      {props.error && (
        <p class="errors" role="alert" id="login-error">
          {props.error}
        </p>
      )}
      <form method="post" action="/console/login" class="login">
        <input type="hidden" name="next" value={props.next ?? '/console'} />
        <label for="token">Admin or read-only token</label>
        <input id="token" name="token" type="password" autocomplete="current-password" required autofocus aria-describedby="token-help" />
        <p id="token-help" class="note">
          Locally, <code>ADMIN_TOKEN</code> is in <code>.dev.vars</code> at the repository root (written by <code>npm start</code>).
        </p>
        <button type="submit">Sign in</button>
      </form>
    </Layout>
  );
}
