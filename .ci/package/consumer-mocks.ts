// Type-level check of the mocks subpath under every resolution (typesVersions for node10).
import { startAmsGateway, type AmsGateway } from 'ams-cashier/mocks';

export const gateway: () => Promise<AmsGateway> = () => startAmsGateway();
