// Type-level check of the mocks subpath under every resolution (typesVersions for node10), in a project without msw.
import { startAmsGateway, type AmsGateway, type GatewayOptions } from 'ams-cashier/mocks';

export const gateway: (options?: GatewayOptions) => Promise<AmsGateway> = (options) => startAmsGateway(options);
