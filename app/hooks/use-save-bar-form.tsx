import { useCallback, useEffect, useRef, useState } from "react";
import type { Dispatch, ReactElement, RefObject, SetStateAction } from "react";
import { useActionData, useBlocker, useNavigation } from "@remix-run/react";
import type { BlockerFunction } from "@remix-run/react";
import { SaveBar, useAppBridge } from "@shopify/app-bridge-react";

export interface SaveBarForm<T> {
  /** What the form shows now. */
  values: T;
  setValues: Dispatch<SetStateAction<T>>;
  /** A setter for one top-level field, for a component's onChange. */
  field: <K extends keyof T>(key: K) => (value: T[K]) => void;
  /** The form differs from what was saved: the save bar shows and leaving asks first. */
  dirty: boolean;
  /** The form's submission is under way. */
  saving: boolean;
  /** The last submission's field errors, until discarded or each field's own edit clears it. */
  errors: Record<string, string>;
  clearError: (key: string) => void;
  /** Back to what was saved, errors gone. */
  discard: () => void;
  /** Attach to the page's <Form>: the save bar's Save submits it. */
  formRef: RefObject<HTMLFormElement>;
  /** App Bridge's contextual save bar, to render once in the page. */
  saveBar: ReactElement;
}

/**
 * One form held against what was saved, as Shopify's own pages do: App Bridge's save bar (Save, Discard)
 * while they differ, and no way out of the page without the admin's leave confirmation: Remix navigation
 * (links, the nav menu, row clicks, browser back) is blocked until the merchant confirms, a reload or close
 * gets the browser's own prompt. `saved` must keep its identity while the loader's data is unchanged.
 */
export function useSaveBarForm<T extends Record<string, unknown>>(id: string, saved: T): SaveBarForm<T> {
  const shopify = useAppBridge();
  const navigation = useNavigation();
  const actionData = useActionData() as { errors?: Record<string, string> } | undefined;
  const formRef = useRef<HTMLFormElement>(null);
  const [values, setValues] = useState<T>(saved);
  const [errors, setErrors] = useState<Record<string, string>>(() => actionData?.errors ?? {});

  // New saved data (a save, another record on the same route): the form shows it, without a render in between.
  const [lastSaved, setLastSaved] = useState(saved);
  if (lastSaved !== saved) {
    setLastSaved(saved);
    if (!sameData(lastSaved, saved)) setValues(saved);
  }

  useEffect(() => setErrors(actionData?.errors ?? {}), [actionData]);

  const saving = navigation.state !== "idle" && navigation.formMethod?.toUpperCase() === "POST";
  // A save that stored what the server made of the input (trimmed, normalized) ends with the form as saved.
  const wasSaving = useRef(false);
  useEffect(() => {
    if (saving) {
      wasSaving.current = true;
    } else if (wasSaving.current && navigation.state === "idle") {
      wasSaving.current = false;
      if (Object.keys(actionData?.errors ?? {}).length === 0) setValues(saved);
    }
  }, [saving, navigation.state, actionData, saved]);

  const dirty = !sameData(values, saved);

  const discard = useCallback(() => {
    setValues(saved);
    setErrors({});
  }, [saved]);
  const clearError = useCallback((key: string) => {
    setErrors((e) => {
      if (!(key in e)) return e;
      const rest = { ...e };
      delete rest[key];
      return rest;
    });
  }, []);
  const field = useCallback(
    <K extends keyof T>(key: K) =>
      (value: T[K]) =>
        setValues((v) => ({ ...v, [key]: value })),
    [],
  );

  // In-app navigation away from this page waits for App Bridge's leave confirmation; a submission never does.
  const shouldBlock = useCallback<BlockerFunction>(
    ({ currentLocation, nextLocation }) => dirty && currentLocation.pathname !== nextLocation.pathname,
    [dirty],
  );
  const blocker = useBlocker(shouldBlock);
  useEffect(() => {
    if (blocker.state !== "blocked") return;
    let current = true;
    // Resolves once the merchant chose to leave (or no save bar shows); if they stay it never settles.
    leaveConfirmation(shopify).then(
      () => current && blocker.proceed(),
      () => current && blocker.reset(),
    );
    return () => {
      current = false;
    };
  }, [blocker, shopify]);

  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // Chromium still asks only when returnValue is set.
      event.returnValue = "";
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);

  const saveBar = (
    <SaveBar id={id} open={dirty}>
      <button
        variant="primary"
        loading={saving ? "" : undefined}
        disabled={saving}
        onClick={() => formRef.current?.requestSubmit()}
      >
        Save
      </button>
      <button disabled={saving} onClick={discard}>
        Discard
      </button>
    </SaveBar>
  );

  return { values, setValues, field, dirty, saving, errors, clearError, discard, formRef, saveBar };
}

function leaveConfirmation(shopify: ReturnType<typeof useAppBridge>): Promise<void> {
  if (typeof shopify.saveBar?.leaveConfirmation === "function") return shopify.saveBar.leaveConfirmation();
  // Outside the admin there is no App Bridge dialog: the browser's own question, before anything is lost.
  return window.confirm("Leave page with unsaved changes? Leaving this page will delete all unsaved changes.")
    ? Promise.resolve()
    : Promise.reject(new Error("stayed"));
}

/** The same data, whatever the order of object keys (arrays keep theirs). */
export function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameData(x, b[i]));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return (
    ka.length === kb.length &&
    ka.every(
      (k) =>
        Object.prototype.hasOwnProperty.call(b, k) &&
        sameData((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
    )
  );
}
