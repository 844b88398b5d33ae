/** A value that survives JSON.stringify / JSON.parse unchanged: what may cross Redis or the store. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };
