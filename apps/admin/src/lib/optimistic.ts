/** A page of dead letters without one of them: the optimistic view while retry/discard runs. */
export function withoutItem<P extends { items: { id: string }[] }>(
  page: P | undefined,
  id: string,
): P | undefined {
  return page ? { ...page, items: page.items.filter((item) => item.id !== id) } : page;
}
