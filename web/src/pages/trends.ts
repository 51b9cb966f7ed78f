import { startPage } from '../ui/shell';
import { mount } from '../views/trends';

startPage('trends', mount);
