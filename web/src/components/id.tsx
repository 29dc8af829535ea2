import { Fragment } from "preact";

/** An ARN that may wrap only after its ':' and '/' separators, never inside an id. */
export function Arn({ value }: { value: string | undefined }) {
  const parts = (value ?? "").split(/(?<=[:/])/);
  return (
    <>
      {parts.map((part, i) => (
        <Fragment key={i}>
          {part}
          {i < parts.length - 1 ? <wbr /> : null}
        </Fragment>
      ))}
    </>
  );
}
