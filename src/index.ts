/** Cairn as a library: start a real server from a test suite or a tool (`import { startCairn } from "cairn"`). */
export { startCairn, type RunningCairn, type StartCairnOptions } from "./embed/start-cairn.js";
