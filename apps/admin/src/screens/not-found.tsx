import { Link } from "@tanstack/react-router";

export function NotFound() {
  return (
    <section>
      <h1>Not found</h1>
      <p>
        No such page. <Link to="/">Back to the overview</Link>
      </p>
    </section>
  );
}
