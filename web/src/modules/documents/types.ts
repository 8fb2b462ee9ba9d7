/** Controlled documents as the /documents endpoints return them. */
export interface Transition {
  action: string;
  to: string;
  /** Signature meaning the transition requires, or null when it is not signed. */
  signatureMeaning: string | null;
}

export interface ControlledDocument {
  id: string;
  number: string;
  title: string;
  revision: string;
  status: string;
  createdAt: string;
  updatedAt: string;
  transitions?: Transition[];
}
