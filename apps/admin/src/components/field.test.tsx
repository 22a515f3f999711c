import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";

import type { TextFilterSpec } from "./field";
import { EnumSelect, FilterText, useTextFilter } from "./field";

afterEach(cleanup);

const digits: TextFilterSpec = {
  id: "digits",
  label: "Digits",
  submitLabel: "Filter",
  parse: (text) =>
    /^\d*$/.test(text.trim())
      ? { value: text.trim() || undefined, error: null }
      : { value: undefined, error: "Digits only" },
};

function DigitsForm({ onFilter }: { onFilter: (value: string | undefined) => void }) {
  const filter = useTextFilter(digits, "12", onFilter);
  return (
    <form onSubmit={filter.onSubmit}>
      <FilterText {...filter.field} />
    </form>
  );
}

describe("filter fields", () => {
  it("a text filter applies only text that parses, and says why otherwise", () => {
    const onFilter = vi.fn();
    render(<DigitsForm onFilter={onFilter} />);
    const input = screen.getByLabelText<HTMLInputElement>("Digits");
    expect(input.value).toBe("12");
    fireEvent.change(input, { target: { value: "1a" } });
    fireEvent.click(screen.getByRole("button", { name: "Filter" }));
    expect(onFilter).not.toHaveBeenCalled();
    expect(screen.getByText("Digits only")).toBeTruthy();
    expect(input.getAttribute("aria-invalid")).toBe("true");
    fireEvent.change(input, { target: { value: " 7 " } });
    fireEvent.click(screen.getByRole("button", { name: "Filter" }));
    expect(onFilter).toHaveBeenCalledWith("7");
    expect(screen.queryByText("Digits only")).toBeNull();
    fireEvent.change(input, { target: { value: "" } });
    fireEvent.click(screen.getByRole("button", { name: "Filter" }));
    expect(onFilter).toHaveBeenLastCalledWith(undefined);
  });

  it("an enum select offers Any (no value) and each option", () => {
    const onChange = vi.fn();
    render(
      <EnumSelect id="size" label="Size" options={["s", "m"]} value="m" onChange={onChange} />,
    );
    const select = screen.getByLabelText<HTMLSelectElement>("Size");
    expect([...select.options].map((option) => option.text)).toEqual(["Any", "s", "m"]);
    expect(select.value).toBe("m");
    fireEvent.change(select, { target: { value: "s" } });
    expect(onChange).toHaveBeenLastCalledWith("s");
    fireEvent.change(select, { target: { value: "" } });
    expect(onChange).toHaveBeenLastCalledWith(undefined);
  });
});
