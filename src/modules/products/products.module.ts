import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ProductInventoryService } from './product-inventory.service';
import { Product } from './product.entity';
import { StockMovement } from './stock-movement.entity';

@Module({
  imports: [TypeOrmModule.forFeature([Product, StockMovement])],
  providers: [ProductInventoryService],
  exports: [ProductInventoryService],
})
export class ProductsModule {}
