/**
 * The model layer: values and stream elements shared by every layer above.
 */
export { canonicalJson, canonicalJsonLength, cloneJson, jsonEqual, type JsonObject, type JsonValue } from './json.ts';
export { formatWatermark, isTimeInRange, MAX_TIME_MS, MAX_WATERMARK, MIN_WATERMARK, type StreamRecord, TIME_RANGE_TEXT } from './elements.ts';
