/** Whether the store answers: /readyz calls it. */
export interface StoreHealth {
  ping(): Promise<void>;
  close(): Promise<void>;
}
