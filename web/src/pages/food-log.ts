import { startPage } from '../ui/shell';
import { mount } from '../views/food-log';

startPage('food-log', mount);
