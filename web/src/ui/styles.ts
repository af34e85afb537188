// Styles shared by every page: readable text, big touch targets (44px and more), visible focus,
// AA contrast. Whatever differs between the two sides uses logical properties
// (border-inline-start, margin-inline-start, text-align: start) so the layout mirrors itself in
// Arabic; symmetric spacing uses plain shorthands, which old WebViews (before Chrome 87) read,
// unlike margin-block / padding-inline.
import { css } from 'lit'

export const sharedStyles = css`
  :host {
    display: block;
    color: #1b1b1b;
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  /* The display rules below would otherwise beat the hidden attribute. */
  [hidden] {
    display: none !important;
  }
  h1 {
    font-size: 1.6rem;
    line-height: 1.25;
    margin-top: 0;
    margin-bottom: 1rem;
  }
  h2 {
    font-size: 1.25rem;
    line-height: 1.3;
    margin-top: 1.75rem;
    margin-bottom: 0.75rem;
  }
  h3 {
    font-size: 1.1rem;
    margin-top: 0;
    margin-bottom: 0.5rem;
  }
  p {
    margin-top: 0;
    margin-bottom: 1rem;
    line-height: 1.5;
  }
  [tabindex='-1']:focus {
    outline: none;
  }
  a {
    color: #0b4f9c;
  }
  a:focus,
  button:focus,
  input:focus,
  select:focus,
  textarea:focus,
  summary:focus {
    outline: 3px solid #b34700;
    outline-offset: 2px;
  }
  form {
    margin-bottom: 1.5rem;
  }
  .field {
    margin-bottom: 1.1rem;
  }
  label {
    display: block;
    font-weight: 600;
    margin-bottom: 0.3rem;
  }
  .hint {
    font-size: 0.95rem;
    color: #4a4a4a;
    margin-top: 0;
    margin-bottom: 0.4rem;
  }
  input[type='text'],
  input[type='password'],
  input[type='file'],
  input[type='date'],
  input[type='search'],
  textarea,
  select {
    display: block;
    width: 100%;
    min-height: 48px;
    padding: 0.5rem 0.75rem;
    font: inherit;
    font-size: 1.1rem;
    color: inherit;
    background: #fff;
    border: 2px solid #6b6b6b;
    border-radius: 6px;
  }
  textarea {
    min-height: 8rem;
    line-height: 1.45;
    resize: vertical;
  }
  input[aria-invalid='true'],
  textarea[aria-invalid='true'],
  fieldset[aria-invalid='true'] {
    border-color: #b00020;
  }
  fieldset {
    margin: 0 0 1.1rem;
    padding: 0.5rem 0.75rem 0.25rem;
    border: 2px solid #c4c4c4;
    border-radius: 8px;
  }
  legend {
    padding: 0 0.25rem;
    font-weight: 600;
  }
  .choices .check {
    margin-bottom: 0.25rem;
  }
  .check {
    display: flex;
    align-items: center;
    min-height: 44px;
    font-weight: normal;
    margin-bottom: 1rem;
  }
  .check input {
    flex: none;
    width: 24px;
    height: 24px;
    margin: 0;
    margin-inline-end: 0.6rem;
  }
  .code-input {
    font-family: ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace;
    letter-spacing: 0.08em;
    text-transform: uppercase;
  }
  .button,
  button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    min-height: 48px;
    min-width: 48px;
    padding: 0.6rem 1.2rem;
    font: inherit;
    font-weight: 600;
    font-size: 1.05rem;
    line-height: 1.25;
    text-align: center;
    text-decoration: none;
    color: #fff;
    background: #0b4f9c;
    border: 2px solid #0b4f9c;
    border-radius: 8px;
    cursor: pointer;
  }
  .button.secondary,
  button.secondary {
    color: #0b4f9c;
    background: #fff;
  }
  button.danger {
    color: #fff;
    background: #a1001c;
    border-color: #a1001c;
  }
  button[aria-disabled='true'] {
    opacity: 0.65;
    cursor: progress;
  }
  .button.wide,
  button.wide {
    display: flex;
    width: 100%;
  }
  /* Margins rather than flex gap, which Safari only has since 14.1. */
  .actions {
    display: flex;
    flex-wrap: wrap;
    margin-top: 1rem;
    margin-bottom: 0.25rem;
  }
  .actions > * {
    margin-inline-end: 0.75rem;
    margin-bottom: 0.75rem;
  }
  .alert {
    margin-top: 0;
    margin-bottom: 1rem;
    padding: 0.75rem 1rem;
    color: #7a0016;
    background: #fdecef;
    border-inline-start: 6px solid #b00020;
    border-radius: 4px;
    line-height: 1.5;
  }
  .alert:empty {
    padding: 0;
    margin: 0;
    border: 0;
  }
  .notice {
    margin-top: 0;
    margin-bottom: 1rem;
    padding: 0.75rem 1rem;
    background: #eef4fb;
    border-inline-start: 6px solid #0b4f9c;
    border-radius: 4px;
    line-height: 1.5;
  }
  .success {
    margin-top: 0;
    margin-bottom: 1rem;
    padding: 0.75rem 1rem;
    color: #0f4d1c;
    background: #e8f5ea;
    border-inline-start: 6px solid #1e7b34;
    border-radius: 4px;
  }
  .success:empty {
    padding: 0;
    margin: 0;
    border: 0;
  }
  .code {
    display: inline-block;
    font-family: ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace;
    font-size: 1.4rem;
    font-weight: 700;
    letter-spacing: 0.08em;
    padding: 0.25rem 0.5rem;
    background: #fff;
    border: 2px dashed #6b6b6b;
    border-radius: 6px;
    direction: ltr;
    unicode-bidi: isolate;
  }
  .muted {
    color: #4a4a4a;
  }
  .card {
    padding: 1rem 1rem;
    margin-bottom: 1rem;
    background: #fff;
    border: 1px solid #c4c4c4;
    border-radius: 8px;
  }
  ul.plain {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`
