import { startPage } from '../ui/shell';
import { mount } from '../views/plate';

startPage('plate', mount);
