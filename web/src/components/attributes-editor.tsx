import { useId } from "preact/hooks";

export interface AttributePair {
  key: string;
  value: string;
}

/** Key/value rows with add and remove buttons: instance attributes, or tags (`legend`/`noun`). */
export function AttributesEditor(props: { pairs: AttributePair[]; onChange: (pairs: AttributePair[]) => void; legend?: string; noun?: string }) {
  const { pairs, onChange, legend = "Attributes", noun = "Attribute" } = props;
  const id = useId();
  const update = (index: number, change: Partial<AttributePair>): void =>
    onChange(pairs.map((pair, i) => (i === index ? { ...pair, ...change } : pair)));
  return (
    <fieldset class="attributes">
      <legend>{legend}</legend>
      {pairs.map((pair, index) => (
        <div class="attribute-row" key={index}>
          <label for={`${id}-k${index}`} class="visually-hidden">
            {noun} {index + 1} key
          </label>
          <input id={`${id}-k${index}`} value={pair.key} placeholder="Key" onInput={(e) => update(index, { key: e.currentTarget.value })} />
          <label for={`${id}-v${index}`} class="visually-hidden">
            {noun} {index + 1} value
          </label>
          <input id={`${id}-v${index}`} value={pair.value} placeholder="Value" onInput={(e) => update(index, { value: e.currentTarget.value })} />
          <button type="button" class="button-icon" aria-label={`Remove ${noun.toLowerCase()} ${index + 1}`} onClick={() => onChange(pairs.filter((_, i) => i !== index))}>
            ×
          </button>
        </div>
      ))}
      <button type="button" class="button button-small" onClick={() => onChange([...pairs, { key: "", value: "" }])}>
        Add {noun.toLowerCase()}
      </button>
    </fieldset>
  );
}
