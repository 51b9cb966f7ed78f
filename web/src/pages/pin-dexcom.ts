import { startPage } from '../ui/shell';
import { mount } from '../views/pin-dexcom';

startPage('pin-dexcom', mount);
