export { portalOperations, operationHash, type PortalOperation } from './operations';
export { PORTAL_DIST, MANIFEST_FILE, buildPortal, type BuildResult } from './build';
