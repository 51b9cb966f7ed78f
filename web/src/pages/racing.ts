import { startPage } from '../ui/shell';
import { mount } from '../views/racing';

startPage('racing', mount);
